"""The one place the pipeline asks what time it is.

Outputs must not depend on when they were made. Writers that need a date
(PDF creation date, DOCX core properties) call :func:`build_time`: the
``SOURCE_DATE_EPOCH`` environment variable when set (reproducible-builds.org),
else a fixed date derived from the document itself, never the clock.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

#: used when neither SOURCE_DATE_EPOCH nor a document date is known
FALLBACK = datetime(2000, 1, 1, tzinfo=timezone.utc)


def build_time(document_date: str = "") -> datetime:
    """SOURCE_DATE_EPOCH if set, else the document's own date (ISO), else FALLBACK; UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    if document_date:
        try:
            return datetime.fromisoformat(document_date[:10]).replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    return FALLBACK
