"""Live figures of a sale for its watchers: `WS /ws/flash-sales/{id}/`."""

import time

from core.live import publish
from core.moments import moment
from flashsales import clock
from flashsales.models import FlashSale

COALESCE_SECONDS = 0.25  # a watcher gets at most one frame per this, whatever the rush
_figures_cache: dict[int, tuple[float, dict | None]] = {}


def sale_group(sale_id: int) -> str:
    return f"flashsale_{sale_id}"


def sale_changed_publish(*, sale_id: int) -> None:
    """Tell the sale's watchers to refresh; they coalesce, so a rush sends few frames."""
    publish((sale_group(sale_id),), {"type": "flashsale.changed", "sale_id": sale_id})


def sale_figures(sale_id: int) -> dict | None:
    """The frame every watcher gets; read at most once per COALESCE_SECONDS per process."""
    cached = _figures_cache.get(sale_id)
    if cached and time.monotonic() - cached[0] < COALESCE_SECONDS * 0.8:
        return cached[1]
    sale = FlashSale.objects.filter(pk=sale_id).first()
    figures = None
    if sale is not None:
        now = sale.figures(clock.now())
        figures = {
            "type": "flashsale.remaining",
            "remaining": now.remaining,
            "status": now.status,
            "current_drop": now.current_drop,
            "next_drop_at": moment(now.next_drop_at),
        }
    _figures_cache[sale_id] = (time.monotonic(), figures)
    return figures
