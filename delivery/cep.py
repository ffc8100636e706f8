"""CEP lookup: a CEP's street, district, city and UF from a provider, behind an adapter.

CEP_PROVIDER picks it: `viacep` (ViaCEP's public JSON API) or `none` (no lookup; customers
type their address, which the address book accepts either way). Calls are guarded as every
remote call is (core.resilience: 2 s timeout, retries, a breaker) and never made inside a
transaction, so no lock waits on a remote service. A found CEP is cached for
CEP_CACHE_SECONDS and an unknown one for an hour, so a busy checkout asks the provider once.

A thin client of our own: brazilcep, the maintained library, hard-codes its providers' URLs
(a module constant) and maps every failure to its own exceptions, so it can neither be pointed
at a local fake in tests nor tell the breaker a timeout from an unknown CEP.
"""

from dataclasses import asdict, dataclass
from functools import cache

import requests
from django.conf import settings
from django.core.cache import cache as django_cache
from django.utils.translation import gettext_lazy as _
from localflavor.br.br_states import STATE_CHOICES

from core.exceptions import DependencyUnavailable, NotFound
from core.resilience import Dependency, DependencyDown

UNKNOWN_CEP_SECONDS = 3600
_STATES = {code for code, _ in STATE_CHOICES}


class CepNotFound(NotFound):
    code = "cep_not_found"
    message = _("No address has this CEP; check it, or type the address.")


class CepLookupUnavailable(DependencyUnavailable):
    code = "cep_lookup_unavailable"
    message = _("The CEP lookup is unavailable right now; type the address instead.")


@dataclass(frozen=True)
class CepAddress:
    cep: str
    street: str
    district: str
    city: str
    state: str


@cache
def _guard() -> Dependency:
    return Dependency("cep-provider", prefix="CEP", unavailable=CepLookupUnavailable)


def _viacep(cep: str) -> CepAddress | None:
    """ViaCEP's answer for 8 digits: the address, None for an unknown CEP."""
    url = f"{settings.VIACEP_URL.rstrip('/')}/{cep}/json/"
    try:
        response = requests.get(url, timeout=settings.CEP_TIMEOUT)
    except requests.RequestException as exc:
        raise DependencyDown(f"ViaCEP unreachable: {exc.__class__.__name__}") from exc
    if response.status_code == 400:
        return None  # ViaCEP's answer to a CEP it cannot read
    if response.status_code != 200:  # 429, 5xx, or anything it is not known to answer
        raise DependencyDown(f"ViaCEP answered {response.status_code}")
    try:
        data = response.json()
    except ValueError as exc:
        raise DependencyDown("ViaCEP answered something other than JSON") from exc
    if not isinstance(data, dict):
        raise DependencyDown("ViaCEP answered JSON of another shape")
    state = data.get("uf")
    if data.get("erro") or not isinstance(state, str) or state not in _STATES:
        return None  # {"erro": true} is how ViaCEP says "no such CEP"
    return CepAddress(
        cep=cep,
        street=str(data.get("logradouro") or ""),
        district=str(data.get("bairro") or ""),
        city=str(data.get("localidade") or ""),
        state=state,
    )


def cep_lookup(cep: str) -> CepAddress:
    """The address of a CEP (8 digits): CepNotFound, or CepLookupUnavailable when no
    provider is configured or it cannot be reached."""
    if settings.CEP_PROVIDER != "viacep":
        raise CepLookupUnavailable()
    key = f"cep:{cep}"
    cached = django_cache.get(key)
    if cached == "":
        raise CepNotFound()
    if cached is not None:
        return CepAddress(**cached)
    found = _guard().call(lambda: _viacep(cep))
    if found is None:
        django_cache.set(key, "", UNKNOWN_CEP_SECONDS)
        raise CepNotFound()
    django_cache.set(key, asdict(found), settings.CEP_CACHE_SECONDS)
    return found
