// The flash-sale page: live remaining units (WebSocket), countdown, claim and Pix payment.
(function () {
  "use strict";
  const root = document.getElementById("sale");
  const saleId = root.dataset.saleId;
  const $ = (id) => document.getElementById(id);
  let nextDropAt = root.dataset.nextDropAt ? new Date(root.dataset.nextDropAt) : null;
  let orderId = null;
  const REFUSED = [4401, 4403, 4404];

  function show(figures) {
    $("remaining").textContent = figures.remaining;
    $("status").textContent = figures.status;
    nextDropAt = figures.next_drop_at ? new Date(figures.next_drop_at) : null;
    if ($("claim")) $("claim").disabled = figures.status !== "open";
  }

  async function refresh() {
    const response = await fetch(`/api/flash-sales/${saleId}`, { credentials: "same-origin" });
    if (response.ok) show(await response.json());
  }

  function tick() {
    if (!nextDropAt) { $("countdown").textContent = "-"; return; }
    const seconds = Math.max(0, Math.round((nextDropAt - Date.now()) / 1000));
    const minutes = Math.floor(seconds / 60);
    $("countdown").textContent = `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
    if (seconds === 0) refresh(); // the drop opens: fetch its figures
  }

  function watch() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(`${scheme}${location.host}/ws/flash-sales/${saleId}/`);
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === "flashsale.remaining") show(frame);
    };
    socket.onclose = (event) => {
      // Refused for good (a visitor not signed in, a sale gone): read the figures now and
      // then instead of knocking again; any other close is a dropped connection.
      if (REFUSED.includes(event.code)) setInterval(refresh, 15000);
      else setTimeout(watch, 2000);
    };
  }

  function say(text) {
    $("result").hidden = false;
    $("message").textContent = text; // always text, never HTML
  }

  async function send(method, url, body) {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    const response = await fetch(url, {
      method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: body ? JSON.stringify(body) : null,
    });
    return { status: response.status, body: await response.json() };
  }

  const post = (url, body) => send("POST", url, body);

  const REFUSALS = {
    sold_out: "Sold out in this drop; the next drop releases more.",
    limit_reached: "You already hold your unit for this drop.",
    not_open: "The sale has not opened yet.",
    sale_ended: "The sale has ended.",
    throttled: "Too many tries; wait a moment.",
  };

  async function claim() {
    $("claim").disabled = true;
    const { status, body } = await post(`/api/flash-sales/${saleId}/claims`);
    if (status === 201) {
      orderId = body.order_id;
      const until = new Date(body.expires_at).toLocaleTimeString();
      say(`You hold one unit: order #${orderId}. Pay before ${until}.`);
      await offerShipping();
    } else {
      say(REFUSALS[body.code] || body.detail || "Could not claim.");
      $("claim").disabled = false;
    }
  }

  // The claim's order ships like any other: to the default address, or picked up.
  let addressId = null;
  const methods = {};
  async function offerShipping() {
    const book = await send("GET", "/api/addresses");
    addressId = book.status === 200 && book.body.results.length ? book.body.results[0].id : null;
    const query = addressId ? `?address_id=${addressId}` : "";
    const { status, body } = await send("GET", `/api/orders/${orderId}/shipping-options${query}`);
    const options = status === 200 ? body : [];
    if (!options.length) {
      say("No shipping reaches you yet: add a delivery address to your account.");
      return;
    }
    $("shipping").replaceChildren(...options.map((o) => {
      methods[o.id] = o;
      const days = o.kind === "pickup" ? "pickup" : `${o.min_days}-${o.max_days} business days`;
      return new Option(`${o.name}: R$ ${o.price} (${days})`, o.id);
    }));
    $("shipping-choice").hidden = false;
    $("pay").hidden = false;
  }

  async function pay() {
    $("pay").disabled = true;
    const method = methods[$("shipping").value];
    const chosen = await send("PUT", `/api/orders/${orderId}/shipping`, {
      shipping_method_id: method.id,
      address_id: method.kind === "delivery" ? addressId : null,
    });
    if (chosen.status !== 200) {
      say(chosen.body.detail || "Could not choose the shipping.");
      $("pay").disabled = false;
      return;
    }
    const { status, body } = await post(`/api/orders/${orderId}/payments`, { method: "pix" });
    if (status !== 201) { say(body.detail || "Could not start the payment."); return; }
    $("copy-paste").value = body.pix.copy_paste;
    $("qr").src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(body.pix.qr_code_svg);
    $("pix").hidden = false;
  }

  if ($("claim")) $("claim").addEventListener("click", claim);
  $("pay").addEventListener("click", pay);
  if (root.dataset.signedIn === "true") watch(); else setInterval(refresh, 5000);
  setInterval(tick, 1000);
  tick();
})();
