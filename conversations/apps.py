from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: these modules use models, which exist only once
        # the app registry is ready. Registering is how this app plugs into lower ones.
        from campaigns.slots import CAMPAIGN_PAGE
        from groups.slots import GROUP_PAGE, REGION_PAGE
        from portal import hooks
        from portal.notifications import EmailList, register_list
        from portal.ratelimit import LIMITS
        from resolutions.slots import RESOLUTION_PAGE

        from . import review, services

        review.register_sections()
        hooks.register(services.open_resolution_discussion)
        RESOLUTION_PAGE.register("conversations/_resolution_discussion.html", order=30)
        GROUP_PAGE.register("conversations/_place_link.html", order=30)
        CAMPAIGN_PAGE.register("conversations/_place_link.html", order=30)
        REGION_PAGE.register("conversations/_region_noticeboard.html", order=30)
        register_list(
            EmailList(
                name="conversations",
                label="emails about new posts in conversations",
                choice="Email me about new posts in the conversations I follow",
                help_text=(
                    "Only for the places where you chose 'straight away'; the others come "
                    "in your digest."
                ),
            )
        )
        # The header's unread count is worked out as the person signs in, so their pages
        # find it kept (conversations.unread.header_unread); as for the header's review
        # link (portal.navigation), signing in is Django's own signal.
        from django.contrib.auth.signals import user_logged_in

        from .unread import count_on_sign_in

        user_logged_in.connect(count_on_sign_in, dispatch_uid="conversations.count_on_sign_in")
        # Abuse limits, registered as defaults (settings.RATE_LIMITS may override them).
        LIMITS.setdefault("conversation_posts", "30/h")
        LIMITS.setdefault("conversation_reports", "20/d")
