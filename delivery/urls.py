from django.urls import path
from rest_framework.routers import SimpleRouter

from delivery import views

router = SimpleRouter(trailing_slash=False)
router.register("addresses", views.AddressViewSet, basename="address")
router.register("shipping-methods", views.ShippingMethodViewSet, basename="shipping-method")
router.register("coupons", views.CouponViewSet, basename="coupon")
urlpatterns = [
    path("cep/<str:cep>", views.CepView.as_view(), name="cep"),
    *router.urls,
]
