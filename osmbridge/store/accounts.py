"""Accounts of the review web application in the state store: users and their login sessions.

Passwords arrive here already hashed (argon2, `osmbridge.web.passwords`) and sessions by the hash of
their token: a copy of the database lets nobody log in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from osmbridge.errors import OsmbridgeError
from osmbridge.model import Role
from osmbridge.store.tables import Base

ROLES: tuple[Role, ...] = get_args(Role)


class AccountError(OsmbridgeError):
    """A user cannot be added or changed (unknown name, name taken...)."""


class UserRow(Base):
    """A person who may log in to the review application."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))  # mapper | city_staff | admin
    password_hash: Mapped[str | None] = mapped_column(Text)  # argon2; None: OSM login only
    osm_uid: Mapped[int | None] = mapped_column(Integer, unique=True)  # bound at the first OSM login
    osm_name: Mapped[str | None] = mapped_column(String(200))  # OSM display name allowed to bind
    producer: Mapped[str | None] = mapped_column(String(100))  # the producer it answers for (0011); None: any
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[str] = mapped_column(String(32))
    last_login_at: Mapped[str | None] = mapped_column(String(32))


class WebSessionRow(Base):
    """A logged-in browser: the SHA-256 of its cookie token, its CSRF token and its expiry."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[str] = mapped_column(String(32))  # ISO 8601 UTC; compared as text


@dataclass(frozen=True, slots=True)
class User:
    """A user as the application sees it (never with the password hash)."""

    id: int
    username: str
    display_name: str
    role: Role
    disabled: bool = False
    osm_uid: int | None = None
    osm_name: str | None = None
    producer: str | None = None  # the producer of a dataset this person answers for (None: not tied to one)
    has_password: bool = False
    created_at: str = ""
    last_login_at: str | None = None

    @property
    def label(self) -> str:
        """The name shown in pages and written in the audit log."""
        return self.display_name or self.username


@dataclass(frozen=True, slots=True)
class WebSession:
    """A live session: whose it is and the CSRF token its forms must carry."""

    user: User
    csrf_token: str
    expires_at: str


class Accounts:
    """Users and sessions in the state store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine  # a Store's: opening the Store created or upgraded these tables

    # --- users ---------------------------------------------------------------------------------

    def add_user(self, username: str, role: str, now: str, *, password_hash: str | None = None,
                 display_name: str = "", osm_name: str | None = None, producer: str | None = None) -> User:
        """Create a user; AccountError when the name is taken or the role unknown."""
        check_role(role)
        if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise AccountError(f"user name {username!r}: use letters, digits, '.', '-' or '_'")
        if password_hash is None and osm_name is None:
            raise AccountError(f"user {username!r} needs a password or an OSM account (--osm-name) to log in")
        with Session(self.engine) as session, session.begin():
            if session.scalars(select(UserRow).where(UserRow.username == username)).first():
                raise AccountError(f"user {username!r} exists already; change it with `osmbridge users passwd` "
                                   "or `osmbridge users disable`")
            row = UserRow(username=username, display_name=display_name, role=role, password_hash=password_hash,
                          osm_name=osm_name, producer=producer, disabled=False, created_at=now)
            session.add(row)
            session.flush()
            return _user(row)

    def users(self) -> list[User]:
        """Every user, by name."""
        with Session(self.engine) as session:
            return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]

    def user(self, username: str) -> User:
        """The user called `username`; AccountError naming the known ones otherwise."""
        with Session(self.engine) as session:
            return _user(self._row(session, username))

    def password_hash(self, username: str) -> tuple[User, str | None] | None:
        """The user and the stored hash to verify a login against; None for an unknown name."""
        with Session(self.engine) as session:
            row = session.scalars(select(UserRow).where(UserRow.username == username)).first()
            return None if row is None else (_user(row), row.password_hash)

    def set_password(self, username: str, password_hash: str) -> None:
        """Replace a user's password and end its sessions (a stolen session dies with the old password)."""
        with Session(self.engine) as session, session.begin():
            row = self._row(session, username)
            row.password_hash = password_hash
            session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))

    def set_disabled(self, username: str, disabled: bool) -> None:
        """Disable (ending its sessions) or re-enable a user; users are never deleted: the audit log names them."""
        with Session(self.engine) as session, session.begin():
            row = self._row(session, username)
            row.disabled = disabled
            if disabled:
                session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))

    def set_producer(self, username: str, producer: str | None) -> None:
        """Tie a user to the producer it answers for (None: to none), ending its sessions."""
        with Session(self.engine) as session, session.begin():
            row = self._row(session, username)
            row.producer = producer
            session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))

    def set_role(self, username: str, role: str) -> None:
        check_role(role)
        with Session(self.engine) as session, session.begin():
            row = self._row(session, username)
            row.role = role
            session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))

    def osm_user(self, uid: int, display_name: str, now: str, *, create_mappers: bool) -> User | None:
        """The account of an OSM user who just logged in, binding or creating it as allowed; None if refused.

        An account added with `--osm-name` binds to the first OSM login with that display name; from
        then on the OSM user id (which survives renames) identifies it.
        """
        with Session(self.engine) as session, session.begin():
            row = session.scalars(select(UserRow).where(UserRow.osm_uid == uid)).first()
            if row is None:
                row = session.scalars(select(UserRow).where(UserRow.osm_uid.is_(None),
                                                            UserRow.osm_name == display_name)).first()
            if row is None and create_mappers:
                username = self._free_name(session, f"osm-{uid}")
                row = UserRow(username=username, display_name=display_name, role="mapper", password_hash=None,
                              osm_name=display_name, disabled=False, created_at=now)
                session.add(row)
            if row is None:
                return None
            row.osm_uid, row.osm_name = uid, display_name
            if not row.display_name:
                row.display_name = display_name
            session.flush()
            return _user(row)

    def touch_login(self, user_id: int, now: str) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(UserRow, user_id)
            if row is not None:
                row.last_login_at = now

    # --- sessions ------------------------------------------------------------------------------

    def open_session(self, user_id: int, token_hash: str, csrf_token: str, now: str, expires_at: str) -> None:
        """Record a new session (and forget this user's expired ones)."""
        with Session(self.engine) as session, session.begin():
            session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id,
                                                        WebSessionRow.expires_at <= now))
            session.add(WebSessionRow(token_hash=token_hash, user_id=user_id, csrf_token=csrf_token,
                                      created_at=now, expires_at=expires_at))

    def session(self, token_hash: str, now: str) -> WebSession | None:
        """The live session with this token hash, or None (unknown, expired, or its user disabled)."""
        with Session(self.engine) as session:
            found = session.execute(select(WebSessionRow, UserRow).join(UserRow, UserRow.id == WebSessionRow.user_id)
                                    .where(WebSessionRow.token_hash == token_hash)).first()
            if found is None:
                return None
            web_session, user = found
            if web_session.expires_at <= now or user.disabled:
                return None
            return WebSession(user=_user(user), csrf_token=web_session.csrf_token, expires_at=web_session.expires_at)

    def close_session(self, token_hash: str) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))

    # --- helpers -------------------------------------------------------------------------------

    def _row(self, session: Session, username: str) -> UserRow:
        row = session.scalars(select(UserRow).where(UserRow.username == username)).first()
        if row is None:
            known = ", ".join(session.scalars(select(UserRow.username).order_by(UserRow.username))) or "none yet"
            raise AccountError(f"no user {username!r} (known: {known}); add one with `osmbridge users add`")
        return row

    @staticmethod
    def _free_name(session: Session, wanted: str) -> str:
        taken = set(session.scalars(select(UserRow.username).where(UserRow.username.startswith(wanted))))
        name, n = wanted, 1
        while name in taken:
            n += 1
            name = f"{wanted}-{n}"
        return name


def check_role(role: str) -> None:
    """AccountError unless `role` is one of ROLES."""
    if role not in ROLES:
        raise AccountError(f"role {role!r}: expected one of {', '.join(ROLES)}")


def _user(row: UserRow) -> User:
    return User(id=row.id, username=row.username, display_name=row.display_name or "", role=row.role,  # type: ignore[arg-type]
                disabled=row.disabled, osm_uid=row.osm_uid, osm_name=row.osm_name, producer=row.producer,
                has_password=row.password_hash is not None, created_at=row.created_at,
                last_login_at=row.last_login_at)
