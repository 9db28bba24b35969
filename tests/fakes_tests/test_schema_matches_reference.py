"""Our hand-written schema, and everything the fakes send, agree with the official reference.

The reference (the Bot API as JSON) lives outside the repository, at
``../shared/telegram-bot-api/api.json`` relative to the repository root.  Clones without it skip
these tests; nothing else in the fakes needs it.
"""

import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.telegram_fakes import BotApiCore, UpdateFactory
from tests.telegram_fakes.schema import METHODS, Kind, UploadedFile

REFERENCE = Path(__file__).parents[2].parent / "shared" / "telegram-bot-api" / "api.json"

DELIBERATELY_LEFT_OUT = {("editMessageText", "rich_message")}
"""Reference parameters the fakes refuse on purpose (python-telegram-bot 22.8 cannot send them)."""


@cache
def reference() -> dict[str, Any]:
    if not REFERENCE.is_file():
        pytest.skip(f"the Bot API reference is not available at {REFERENCE}")
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def reference_kind(type_name: str) -> Kind:
    """The broad kind a reference type name falls into."""
    simple = {
        "Integer": Kind.INTEGER,
        "String": Kind.STRING,
        "Boolean": Kind.BOOLEAN,
        "Float": Kind.FLOAT,
        "InputFile": Kind.INPUT_FILE,
    }
    if type_name.startswith("Array of "):
        return Kind.ARRAY
    return simple.get(type_name, Kind.OBJECT)


def reference_params(method: str) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in reference()["methods"][method].get("fields", [])}


def listed(problems: list[str]) -> str:
    """The failure message of a check over every method: each problem on its own line."""
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_every_method_we_describe_exists_in_the_reference_with_its_return_type():
    methods = reference()["methods"]
    problems = [f"{name} is not in the reference" for name in METHODS if name not in methods]
    # Edits return Boolean only for inline messages, which the fakes do not have.
    problems += [
        f"{name} returns {method.returns}, the reference {methods[name]['returns']}"
        for name, method in sorted(METHODS.items())
        if name in methods and method.returns not in methods[name]["returns"]
    ]
    assert len(METHODS) > 10
    assert not problems, listed(problems)


def test_required_parameters_are_exactly_the_references():
    problems = []
    for name, method in sorted(METHODS.items()):
        theirs = {param for param, f in reference_params(name).items() if f["required"]}
        if method.required != theirs:
            problems.append(
                f"{name} requires {sorted(method.required)}, the reference {sorted(theirs)}"
            )
    assert not problems, listed(problems)


def test_every_parameter_we_accept_exists_there_with_the_same_kinds():
    problems = []
    for name, method in sorted(METHODS.items()):
        theirs = reference_params(name)
        for param in method.params:
            if param.name not in theirs:
                problems.append(f"{name}.{param.name} is not in the reference")
                continue
            kinds = {reference_kind(t) for t in theirs[param.name]["types"]}
            if set(param.kinds) != kinds:
                problems.append(f"{name}.{param.name}: {param.kinds} vs {kinds}")
    assert not problems, listed(problems)


def test_we_leave_out_only_the_parameters_we_mean_to():
    missing = {
        (name, param)
        for name, method in METHODS.items()
        for param in reference_params(name)
        if param not in {p.name for p in method.params}
    }
    problems = [
        f"{name}.{param} is left out" for name, param in sorted(missing - DELIBERATELY_LEFT_OUT)
    ]
    assert not problems, listed(problems)


# --- shapes of what the fakes send ------------------------------------------------------------


def shape_problems(value: Any, type_names: list[str], path: str) -> list[str]:
    """Why ``value`` is not one of ``type_names`` per the reference ([] when it is)."""
    attempts = [_problems_for(value, name, path) for name in type_names]
    if any(not problems for problems in attempts):
        return []
    return min(attempts, key=len)


def _problems_for(value: Any, type_name: str, path: str) -> list[str]:
    if type_name.startswith("Array of "):
        if not isinstance(value, list):
            return [f"{path}: expected an array"]
        inner = type_name[len("Array of ") :]
        return [
            p for i, item in enumerate(value) for p in shape_problems(item, [inner], f"{path}[{i}]")
        ]
    primitive = {
        "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "String": lambda v: isinstance(v, str),
        "Boolean": lambda v: isinstance(v, bool),
        "True": lambda v: v is True,
    }
    if type_name in primitive:
        return [] if primitive[type_name](value) else [f"{path}: expected {type_name}"]
    spec = reference()["types"][type_name]
    if "subtypes" in spec:
        return shape_problems(value, spec["subtypes"], path)
    if not isinstance(value, dict):
        return [f"{path}: expected a {type_name} object"]
    fields = {f["name"]: f for f in spec.get("fields", [])}
    problems = [f"{path}.{key}: not a field of {type_name}" for key in value if key not in fields]
    problems += [
        f"{path}.{name}: required by {type_name} but missing"
        for name, f in fields.items()
        if f["required"] and name not in value
    ]
    for key, item in value.items():
        if key in fields:
            problems += shape_problems(item, fields[key]["types"], f"{path}.{key}")
    return problems


def sample_updates() -> list[dict[str, Any]]:
    factory = UpdateFactory()
    ada = factory.user("Ada", last_name="Lovelace", is_premium=True)
    group = factory.group("Residents")
    text = factory.message(ada, "/start see https://example.org #roads @someone a@b.org")
    bot_message = {
        "message_id": 9,
        "from": factory.bot.to_dict(),
        "chat": ada.chat(),
        "date": 1_750_000_000,
        "text": "Agree?",
        "reply_markup": {"inline_keyboard": [[{"text": "Yes", "callback_data": "y"}]]},
    }
    return [
        text,
        factory.command(ada, "help", chat=group),
        factory.callback_query(ada, bot_message, "y"),
        factory.sticker(ada),
        factory.photo(ada, caption="pothole #roads"),
        factory.voice(ada),
        factory.document(ada, caption="my notes"),
        factory.location(ada),
        factory.contact(ada),
        factory.edited_message(text, "changed my mind"),
        factory.message(ada, "reply", reply_to=text),
        factory.bot_blocked(ada),
        factory.bot_unblocked(ada),
    ]


def test_factory_updates_have_exactly_the_references_fields():
    updates = sample_updates()
    problems = [
        problem
        for update in updates
        for problem in shape_problems(
            update, ["Update"], next(k for k in update if k != "update_id")
        )
    ]
    assert len(updates) == 13
    assert not problems, listed(problems)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(buffer, "PNG")
    return buffer.getvalue()


async def fake_results() -> list[tuple[str, Any]]:
    """Results of a session of calls against the core, with the reference return types."""
    core = BotApiCore()
    ada = core.updates.user("Ada")
    core.add_chat(ada)
    token = core.token
    returns = {name: method.returns for name, method in METHODS.items()}
    markup = json.dumps({"inline_keyboard": [[{"text": "Yes", "callback_data": "y"}]]})
    calls: list[tuple[str, dict[str, Any], dict[str, UploadedFile]]] = [
        ("getMe", {}, {}),
        (
            "sendMessage",
            {
                "chat_id": str(ada.id),
                "text": "<b>Hi</b>",
                "parse_mode": "HTML",
                "reply_markup": markup,
                "protect_content": "true",
            },
            {},
        ),
        ("editMessageText", {"chat_id": str(ada.id), "message_id": "1", "text": "Bye"}, {}),
        (
            "editMessageReplyMarkup",
            {"chat_id": ada.id, "message_id": 1, "reply_markup": markup},
            {},
        ),
        (
            "sendDocument",
            {"chat_id": ada.id, "caption": "Export"},
            {"document": UploadedFile("document", "export.csv", b"a,b\n")},
        ),
        ("sendPhoto", {"chat_id": ada.id}, {"photo": UploadedFile("photo", "chart.png", png())}),
        ("setMyCommands", {"commands": [{"command": "start", "description": "Begin"}]}, {}),
        ("getMyCommands", {}, {}),
        ("getWebhookInfo", {}, {}),
        ("setWebhook", {"url": "https://example.org/hook", "max_connections": 5}, {}),
        ("getWebhookInfo", {}, {}),
        ("deleteWebhook", {}, {}),
        ("sendChatAction", {"chat_id": ada.id, "action": "typing"}, {}),
    ]
    results = []
    for method, fields, files in calls:
        status, body = await core.handle(token, method, fields, files)
        assert status == 200, body
        results.append((returns[method], body["result"]))
    core.push(core.updates.message(ada, "hello"))
    _, body = await core.handle(token, "getUpdates", {"timeout": 0})
    results.append((returns["getUpdates"], body["result"]))
    return results


async def test_every_result_the_fakes_return_has_the_references_shape():
    results = await fake_results()
    assert len(results) == 14
    for type_name, result in results:
        assert shape_problems(result, [type_name], type_name) == []
