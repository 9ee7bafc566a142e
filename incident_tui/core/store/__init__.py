"""The store: the only subpackage that knows TinyDB and the journal's bytes.

Everything outside it speaks in model objects through :class:`IncidentStore` and
:class:`IncidentFile`; nothing else imports ``tinydb`` or reads the file format.
"""

from incident_tui.core.store.incident_file import IncidentFile, IncidentWriter, new_id
from incident_tui.core.store.incidents import (
    ENV_AUTHOR,
    ENV_DATA_DIR,
    INCIDENT_ID,
    IncidentStore,
    IncidentSummary,
    default_author,
    default_data_dir,
)

__all__ = [
    "ENV_AUTHOR",
    "ENV_DATA_DIR",
    "INCIDENT_ID",
    "IncidentFile",
    "IncidentStore",
    "IncidentSummary",
    "IncidentWriter",
    "default_author",
    "default_data_dir",
    "new_id",
]
