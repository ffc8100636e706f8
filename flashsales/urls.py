from rest_framework.routers import SimpleRouter

from flashsales import views

router = SimpleRouter(trailing_slash=False)
router.register("flash-sales", views.FlashSaleViewSet, basename="flash-sale")

urlpatterns = router.urls
