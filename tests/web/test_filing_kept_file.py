"""A photo sent with a description that was refused is kept with the draft: the person is
told it is there and does not send it again."""

from __future__ import annotations

import io

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models.attachment import Attachment
from tests.web.conftest import DESCRIPTION, WebVisitor

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_file_sent_with_a_refused_description_is_kept_and_filed(visitor: WebVisitor) -> None:
    response = visitor.post(
        "/file/what",
        {"description": "  ", "attachment": (io.BytesIO(PNG), "photo.png")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert "You added a file" in response.get_data(as_text=True)
    visitor.file(what={"description": DESCRIPTION})
    stored = db.session.scalars(select(Attachment)).one()
    assert stored.content == PNG
