"""How a Telegram user becomes a pseudonym: the only place their user id is ever used."""

import hashlib
import hmac

from storage.errors import StorageError


def pseudonym(secret: bytes, user_id: int) -> str:
    """The respondent's stable pseudonym: HMAC-SHA256 of the Telegram user id, in hex.

    The same person always gets the same pseudonym under one secret, so they can stop and come
    back; without the secret the pseudonym cannot be traced to the account. The user id and
    username are never stored. Changing the secret makes everyone a new respondent.
    """
    if not secret:
        raise StorageError("the pseudonym secret is empty: set one in the config")
    return hmac.new(secret, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()
