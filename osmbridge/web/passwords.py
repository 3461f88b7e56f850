"""Password hashing for local accounts: argon2id with argon2-cffi's current recommended parameters."""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from osmbridge.errors import OsmbridgeError

_HASHER = PasswordHasher()
MIN_LENGTH = 10
# Verified when the name is unknown, so a login takes as long whether or not the user exists.
_DUMMY_HASH = _HASHER.hash("osmbridge: no such user")


class WeakPassword(OsmbridgeError):
    """A new password is refused."""


def use_parameters(parameters: Parameters) -> None:
    """Hash new passwords with other argon2 parameters (the tests use argon2's cheapest profile)."""
    global _HASHER, _DUMMY_HASH
    _HASHER = PasswordHasher.from_parameters(parameters)
    _DUMMY_HASH = _HASHER.hash("osmbridge: no such user")


def hash_password(password: str) -> str:
    """Return the argon2id hash of a new password (WeakPassword when it is too short)."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"the password must have at least {MIN_LENGTH} characters")
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Return whether `password` matches `stored_hash` (False, in the same time, when there is no hash)."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Return whether a hash was made with older parameters and should be replaced at the next login."""
    return _HASHER.check_needs_rehash(stored_hash)
