from rest_framework.routers import SimpleRouter

from carts import views

router = SimpleRouter(trailing_slash=False)
router.register("carts", views.CartViewSet, basename="cart")

urlpatterns = router.urls
