from rest_framework.routers import SimpleRouter

from tickets import views

router = SimpleRouter(trailing_slash=False)
router.register("tickets", views.TicketViewSet, basename="ticket")

urlpatterns = router.urls
