"""Publishing order status changes to WebSocket clients through the channel layer."""

from core.live import publish

STAFF_GROUP = "orders_staff"


def user_group(user_id: int) -> str:
    return f"user_{user_id}"


def order_status_publish(
    *, order_id: int, customer_id: int, status: str, at: str, tracking: dict | None = None
) -> None:
    """Tell the order's customer and the staff; best effort, after the commit. A shipped
    order's frame carries its `tracking` (carrier, tracking_code, tracking_url).

    The timeline row is the record; a channel layer that is down must not turn a status
    change that already committed into an error, so a failure is logged and dropped.
    """
    event = {"type": "order.status", "order_id": order_id, "status": status, "at": at}
    if tracking:
        event.update(tracking)
    publish((user_group(customer_id), STAFF_GROUP), event)
