"""The Flask extensions, created once and bound to an app in :func:`remedy.create_app`."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base with named constraints, so migrations can alter them everywhere."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)

# The base of every model. At run time it is db.Model, the class Flask-SQLAlchemy builds from
# Base's body (adding table naming and binds). mypy cannot take an attribute as a base class:
# it would see Any and leave every model's attributes unchecked. So for mypy it is Base, which
# declares the same mapping (constructor, metadata), and each model maps one Table.
if TYPE_CHECKING:

    class Model(Base):
        __abstract__ = True
        __table__: ClassVar[Table]

else:
    Model = db.Model
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
