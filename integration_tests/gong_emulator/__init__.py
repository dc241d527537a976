"""A local, loopback-only emulator of Gong's activity-stats and users API, for testing source-gong-activity."""

from .config import EmulatorConfig
from .dataset import Dataset
from .server import Emulator

__all__ = ["Dataset", "Emulator", "EmulatorConfig"]
