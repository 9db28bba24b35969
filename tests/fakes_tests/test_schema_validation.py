"""schema.validate refuses what the real Bot API refuses, with Telegram's own descriptions."""

import io

import pytest
from PIL import Image

from tests.telegram_fakes import schema
from tests.telegram_fakes.errors import BotApiError
from tests.telegram_fakes.schema import UploadedFile, normalize, validate


def refusal(method, params) -> BotApiError:
    with pytest.raises(BotApiError) as caught:
        validate(method, params)
    return caught.value


def keyboard(*buttons: dict) -> dict:
    return {"inline_keyboard": [list(buttons)]}


def png(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_an_unknown_method_is_404_not_found():
    error = refusal("sendTelepathy", {"chat_id": 1})
    assert (error.status, error.description) == (404, "Not Found")


def test_method_names_are_matched_case_insensitively_like_telegram():
    assert schema.lookup("SENDMESSAGE").name == "sendMessage"


def test_an_unknown_parameter_is_refused():
    error = refusal("sendMessage", {"chat_id": 1, "text": "hi", "reply_to": 4})
    assert error.status == 400
    assert 'unexpected parameter "reply_to"' in error.description


def test_a_missing_chat_id_is_refused_as_telegram_words_it():
    assert refusal("sendMessage", {"text": "hi"}).description == "Bad Request: chat_id is empty"


def test_an_empty_required_string_counts_as_missing():
    error = refusal("sendMessage", {"chat_id": "1", "text": ""})
    assert error.description == "Bad Request: message text is empty"


def test_whitespace_only_text_is_empty_after_telegram_trims_it():
    error = refusal("sendMessage", {"chat_id": 1, "text": "  \n "})
    assert error.description == "Bad Request: message text is empty"


def test_text_of_4096_characters_passes_and_4097_is_too_long():
    validate("sendMessage", {"chat_id": 1, "text": "x" * 4096})
    error = refusal("sendMessage", {"chat_id": 1, "text": "x" * 4097})
    assert error.description == "Bad Request: message is too long"


def test_the_text_limit_counts_characters_after_html_parsing():
    validate(
        "sendMessage", {"chat_id": 1, "text": "<b>" + "x" * 4096 + "</b>", "parse_mode": "HTML"}
    )
    error = refusal("sendMessage", {"chat_id": 1, "text": "&lt;" * 4097, "parse_mode": "HTML"})
    assert error.description == "Bad Request: message is too long"


def test_an_unsupported_html_tag_is_refused_with_a_cant_parse_entities_error():
    error = refusal("sendMessage", {"chat_id": 1, "text": "a<br>b", "parse_mode": "HTML"})
    assert error.description == (
        'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 1'
    )


def test_an_unescaped_less_than_sign_in_html_is_refused():
    error = refusal("sendMessage", {"chat_id": 1, "text": "I <3 it", "parse_mode": "HTML"})
    assert error.description.startswith("Bad Request: can't parse entities:")


def test_an_unknown_parse_mode_is_refused():
    error = refusal("sendMessage", {"chat_id": 1, "text": "hi", "parse_mode": "rst"})
    assert error.description == "Bad Request: unsupported parse_mode"


def test_wire_strings_become_typed_values():
    typed = normalize(
        "sendMessage",
        {
            "chat_id": "-100123",
            "text": "hi",
            "disable_notification": "true",
            "reply_markup": '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}',
        },
    )
    assert typed["chat_id"] == -100123
    assert typed["disable_notification"] is True
    assert typed["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a"


def test_a_chat_id_string_must_be_an_at_username():
    validate("sendMessage", {"chat_id": "@consultation_channel", "text": "hi"})
    assert refusal("sendMessage", {"chat_id": "ada", "text": "hi"}).description == (
        "Bad Request: chat not found"
    )


def test_a_value_of_the_wrong_type_is_refused():
    error = refusal("editMessageText", {"chat_id": 1, "message_id": "seven", "text": "hi"})
    assert error.description == 'Bad Request: field "message_id" must be of type Integer'


def test_reply_markup_that_is_not_json_is_refused():
    error = refusal("sendMessage", {"chat_id": 1, "text": "hi", "reply_markup": "{oops"})
    assert error.description == "Bad Request: can't parse reply keyboard markup JSON object"


def test_callback_data_of_64_bytes_passes_and_65_bytes_is_button_data_invalid():
    validate(
        "sendMessage",
        {
            "chat_id": 1,
            "text": "q",
            "reply_markup": keyboard({"text": "A", "callback_data": "d" * 64}),
        },
    )
    error = refusal(
        "sendMessage",
        {
            "chat_id": 1,
            "text": "q",
            "reply_markup": keyboard({"text": "A", "callback_data": "d" * 65}),
        },
    )
    assert error.description == "Bad Request: BUTTON_DATA_INVALID"


def test_callback_data_is_measured_in_utf8_bytes_not_characters():
    # 33 Cyrillic letters are 33 characters but 66 bytes.
    error = refusal(
        "sendMessage",
        {
            "chat_id": 1,
            "text": "q",
            "reply_markup": keyboard({"text": "A", "callback_data": "\u0436" * 33}),
        },
    )
    assert error.description == "Bad Request: BUTTON_DATA_INVALID"


def test_empty_callback_data_is_button_data_invalid():
    error = refusal(
        "sendMessage",
        {"chat_id": 1, "text": "q", "reply_markup": keyboard({"text": "A", "callback_data": ""})},
    )
    assert error.description == "Bad Request: BUTTON_DATA_INVALID"


def test_an_inline_button_without_an_action_is_refused():
    error = refusal(
        "sendMessage", {"chat_id": 1, "text": "q", "reply_markup": keyboard({"text": "A"})}
    )
    assert error.description == (
        "Bad Request: can't parse inline keyboard button: "
        "Text buttons are unallowed in the inline keyboard"
    )


def test_an_inline_button_with_two_actions_is_refused():
    error = refusal(
        "sendMessage",
        {
            "chat_id": 1,
            "text": "q",
            "reply_markup": keyboard(
                {"text": "A", "callback_data": "a", "url": "https://example.org"}
            ),
        },
    )
    assert "exactly one of the optional fields" in error.description


def test_an_inline_button_needs_a_non_empty_text():
    error = refusal(
        "sendMessage",
        {"chat_id": 1, "text": "q", "reply_markup": keyboard({"text": " ", "callback_data": "a"})},
    )
    assert error.status == 400


def test_edits_accept_only_inline_keyboards():
    error = refusal(
        "editMessageReplyMarkup",
        {"chat_id": 1, "message_id": 2, "reply_markup": {"keyboard": [["Yes"]]}},
    )
    assert error.description == "Bad Request: inline keyboard expected"


def test_an_edit_needs_a_message_identifier():
    error = refusal("editMessageText", {"chat_id": 1, "text": "hi"})
    assert error.description == "Bad Request: message identifier is not specified"


def test_a_caption_of_1025_characters_is_too_long():
    upload = UploadedFile("document", "a.txt", b"a")
    validate("sendDocument", {"chat_id": 1, "document": upload, "caption": "c" * 1024})
    error = refusal("sendDocument", {"chat_id": 1, "document": upload, "caption": "c" * 1025})
    assert error.description == "Bad Request: message caption is too long"


def test_a_callback_answer_of_201_characters_is_message_too_long():
    validate("answerCallbackQuery", {"callback_query_id": "1", "text": "t" * 200})
    error = refusal("answerCallbackQuery", {"callback_query_id": "1", "text": "t" * 201})
    assert error.description == "Bad Request: MESSAGE_TOO_LONG"


def test_a_document_over_50_megabytes_is_request_entity_too_large():
    big = UploadedFile("document", "big.bin", b"\0" * (schema.DOCUMENT_MAX_BYTES + 1))
    error = refusal("sendDocument", {"chat_id": 1, "document": big})
    assert (error.status, error.description) == (413, "Request Entity Too Large")


def test_an_empty_upload_is_refused():
    error = refusal("sendDocument", {"chat_id": 1, "document": UploadedFile("document", "a", b"")})
    assert error.description == "Bad Request: file must be non-empty"


def test_a_document_must_be_a_file_or_a_string_not_an_object():
    error = refusal("sendDocument", {"chat_id": 1, "document": {"file": 1}})
    assert error.description == 'Bad Request: field "document" must be of type InputFile or String'


def test_a_photo_must_be_an_image_telegram_can_read():
    validate("sendPhoto", {"chat_id": 1, "photo": UploadedFile("photo", "p.png", png())})
    error = refusal("sendPhoto", {"chat_id": 1, "photo": UploadedFile("photo", "p.png", b"text")})
    assert error.description == "Bad Request: IMAGE_PROCESS_FAILED"


def test_a_photo_with_a_ratio_over_20_is_refused():
    strip = UploadedFile("photo", "p.png", png(420, 20))
    assert refusal("sendPhoto", {"chat_id": 1, "photo": strip}).description == (
        "Bad Request: PHOTO_INVALID_DIMENSIONS"
    )


def test_bot_commands_must_be_lowercase_words_of_at_most_32_characters():
    validate("setMyCommands", {"commands": [{"command": "start", "description": "Begin"}]})
    error = refusal("setMyCommands", {"commands": [{"command": "Start", "description": "Begin"}]})
    assert error.description == "Bad Request: BOT_COMMAND_INVALID"


def test_bot_commands_need_a_description():
    error = refusal("setMyCommands", {"commands": [{"command": "start", "description": ""}]})
    assert error.description == "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"


def test_a_chat_action_must_be_one_telegram_knows():
    validate("sendChatAction", {"chat_id": 1, "action": "typing"})
    error = refusal("sendChatAction", {"chat_id": 1, "action": "thinking"})
    assert error.description == "Bad Request: wrong parameter action in request"


def test_a_webhook_must_be_https():
    error = refusal("setWebhook", {"url": "http://example.org/hook"})
    assert (
        error.description == "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    )


def test_the_error_body_has_telegrams_shape_with_retry_after_parameters():
    body = BotApiError(429, "Too Many Requests: retry after 7", retry_after=7).payload()
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
