"""source-gong-activity: Gong's user activity statistics as one unified Airbyte `activity` stream."""

from .source import SourceGongActivity

__all__ = ["SourceGongActivity"]
