"""Notification tasks, where each is defined: fan-out and sweep with the services, sending with delivery."""

from __future__ import annotations

from .delivery import enqueue_sends, send_deliveries
from .services import fan_out, schedule_sweep, sweep

__all__ = ["enqueue_sends", "fan_out", "schedule_sweep", "send_deliveries", "sweep"]
