from decimal import Decimal

import pytest

from payments.pix import BRCode, BRCodeError, ascii_fold, crc16, parse

STATIC = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"
    "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)
DYNAMIC = (
    "00020101021226700014br.gov.bcb.pix2548pix.example.com/8b3da2f39a4140d1a91abd93113bd441"
    "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***630464E4"
)


def test_crc_check_value():
    assert crc16("123456789") == "29B1"


def test_the_manuals_static_example_is_rebuilt_byte_for_byte():
    code = BRCode("Fulano de Tal", "BRASILIA", key="123e4567-e12b-12d1-a456-426655440000")
    assert code.payload() == STATIC


def test_the_manuals_dynamic_example_is_rebuilt_byte_for_byte():
    location = "pix.example.com/8b3da2f39a4140d1a91abd93113bd441"
    assert BRCode("Fulano de Tal", "BRASILIA", location=location).payload() == DYNAMIC


def test_a_charge_parses_back_field_by_field_and_its_crc_verifies():
    code = BRCode(
        "Lojinha Açaí & Cia do João Ltda",
        "São Paulo",
        location="psp.example/cob/abc123",
        amount=Decimal("1099.8"),
    )
    fields = parse(code.payload())
    assert fields["00"] == "01" and fields["01"] == "12"
    assert fields["26"] == {"00": "br.gov.bcb.pix", "25": "psp.example/cob/abc123"}
    assert (fields["52"], fields["53"], fields["54"], fields["58"]) == (
        "0000",
        "986",
        "1099.80",
        "BR",
    )
    assert fields["59"] == "Lojinha Acai & Cia do Joao"[:25]  # folded, cut at 25
    assert fields["60"] == "Sao Paulo"
    assert fields["62"] == {"05": "***"}


def test_a_tampered_payload_fails_its_crc():
    with pytest.raises(BRCodeError):
        parse(STATIC.replace("Fulano", "Fulana"))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"key": "k", "location": "l"},
        {},
        {"key": "k", "merchant_name": "  "},
        {"key": "k", "merchant_city": ""},
        {"key": "k", "txid": "with space"},
        {"key": "k", "amount": Decimal("0")},
    ],
)
def test_fields_the_code_cannot_carry_are_refused(kwargs):
    values = {"merchant_name": "Loja", "merchant_city": "Recife", **kwargs}
    with pytest.raises(BRCodeError):
        BRCode(**values).payload()


def test_ascii_fold_and_qr_svg():
    assert ascii_fold("Pão de Açúcar") == "Pao de Acucar"
    svg = BRCode("Loja", "Recife", key="chave@example.com").qr_svg()
    assert svg.startswith("<svg") and "</svg>" in svg
