"""Demo catalog for `manage.py seed_demo`, created through the catalog services."""

from decimal import Decimal

from catalog.models import Category, Product
from catalog.services import category_create, product_create

# 24 hourly drops of 100 for the flash-sale campaign (demo/flashsales.py), and 100 to sell.
FLASH_SALE_PRODUCT = ("IPHONE15-128", "iPhone 15 128 GB", "7299.00", 2_500)

CATALOG = {
    "Smartphones": [
        FLASH_SALE_PRODUCT,
        ("GALAXY-S24", "Samsung Galaxy S24 256 GB", "4999.00", 40),
        ("MOTO-G84", "Motorola Moto G84 5G", "1499.90", 120),
        ("XIAOMI-RN13", "Xiaomi Redmi Note 13", "1299.00", 3),
        ("PIXEL-8", "Google Pixel 8", "3899.00", 0),
    ],
    "Notebooks": [
        ("MBA-M3", "MacBook Air 13 M3", "10499.00", 12),
        ("DELL-I15", "Dell Inspiron 15", "3999.00", 25),
        ("LENOVO-IP3", "Lenovo IdeaPad 3", "2899.00", 18),
        ("ACER-NITRO5", "Acer Nitro 5 Gamer", "5499.00", 4),
    ],
    "Audio": [
        ("AIRPODS-PRO2", "AirPods Pro (2nd gen)", "2199.00", 60),
        ("JBL-FLIP6", "JBL Flip 6 Bluetooth Speaker", "699.00", 80),
        ("SONY-WH1000", "Sony WH-1000XM5 Headphones", "2499.00", 2),
        ("EDIFIER-R1280", "Edifier R1280T Bookshelf Speakers", "899.00", 15),
    ],
    "Games": [
        ("PS5-SLIM", "PlayStation 5 Slim", "3799.00", 30),
        ("XBOX-SX", "Xbox Series X", "4299.00", 10),
        ("SWITCH-OLED", "Nintendo Switch OLED", "2299.00", 22),
        ("DUALSENSE", "DualSense Controller", "449.00", 75),
    ],
    "Casa": [
        ("AIRFRYER-MON", "Mondial Air Fryer 4 L", "349.90", 140),
        ("CAFE-NESP", "Nespresso Essenza Mini", "549.00", 35),
        ("ASPIRADOR-WAP", "WAP Robot Vacuum", "899.00", 0),
        ("LIQUID-PHIL", "Philips Walita Blender", "229.90", 55),
    ],
    "Moda": [
        ("CAMISETA-BR", "Camiseta Seleção Brasileira", "249.90", 200),
        ("TENIS-OLY", "Tênis Olympikus Corre 3", "399.99", 45),
        ("HAVAIANAS", "Havaianas Top", "39.90", 500),
        ("MOCHILA-SAM", "Mochila Samsonite", "459.00", 5),
    ],
    "Livros": [
        ("LIVRO-DOMCASMURRO", "Dom Casmurro, Machado de Assis", "29.90", 90),
        ("LIVRO-GRANDESERTAO", "Grande Sertão: Veredas", "79.90", 40),
        ("LIVRO-CAPITAES", "Capitães da Areia", "44.90", 60),
        ("LIVRO-VIDASSECAS", "Vidas Secas", "34.90", 0),
        ("LIVRO-ORIGEM", "Torto Arado", "59.90", 25),
        ("LIVRO-PYTHON", "Python Fluente, 2ª edição", "189.00", 8),
    ],
}


def seed() -> list[str]:
    """Create the demo categories and products unless they exist."""
    created = 0
    for category_name, products in CATALOG.items():
        category = Category.objects.filter(name=category_name).first() or category_create(
            name=category_name
        )
        for sku, name, price, stock in products:
            if not Product.objects.filter(sku=sku).exists():
                product_create(
                    name=name,
                    sku=sku,
                    price=Decimal(price),
                    stock=stock,
                    category=category,
                    description=f"{name}. Nota fiscal, garantia de 12 meses.",
                )
                created += 1
    total = Product.objects.count()
    return [f"catalog   {total} products in {Category.objects.count()} categories ({created} new)"]
