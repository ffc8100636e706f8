"""A local stand-in for ViaCEP's JSON API (GET /ws/{cep}/json/), served on loopback.

Answers as ViaCEP does: the address of a known CEP, `{"erro": true}` for an unknown one,
400 for a malformed one. It can be told to answer the next calls with a 500 or to hang past
the client's timeout, as a provider in trouble does, and counts the requests it got.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KNOWN = {
    "01310100": {
        "cep": "01310-100",
        "logradouro": "Avenida Paulista",
        "complemento": "de 612 a 1510 - lado par",
        "bairro": "Bela Vista",
        "localidade": "São Paulo",
        "uf": "SP",
    },
    "20040020": {
        "cep": "20040-020",
        "logradouro": "Rua da Assembleia",
        "bairro": "Centro",
        "localidade": "Rio de Janeiro",
        "uf": "RJ",
    },
}


class FakeViaCep:
    def __init__(self):
        self.requests: list[str] = []
        self.fail_next = 0
        self.hang_next = 0
        self.hang_seconds = 1.0
        self.answer_next: tuple[int, object] | None = None  # a status and body, once
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/ws"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, path: str) -> tuple[int, object]:
        with self.lock:
            self.requests.append(path)
            if self.fail_next:
                self.fail_next -= 1
                return 500, {"message": "internal error"}
            if self.answer_next is not None:
                answer, self.answer_next = self.answer_next, None
                return answer
            hang = bool(self.hang_next)
            self.hang_next -= hang
        if hang:
            time.sleep(self.hang_seconds)
        parts = path.strip("/").split("/")  # ws, cep, json
        if len(parts) != 3 or parts[0] != "ws" or parts[2] != "json":
            return 404, {}
        cep = parts[1]
        if len(cep) != 8 or not cep.isdigit():
            return 400, {}
        return 200, KNOWN.get(cep, {"erro": True})

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, body = fake._answer(self.path)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up waiting (the timeout tests)

            def log_message(self, *args):
                pass

        return Handler
