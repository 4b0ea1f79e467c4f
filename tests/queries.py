"""What a signed-in request costs before the page's own queries, for query-count tests."""

from django.conf import settings

# The session is read from Redis when REDIS_URL is set (the cached_db session engine) and
# from the database on the embedded defaults: one query more there. Every signed-in
# request also asks, in one query, whether two-factor sign-in is required and set up
# (portal.mfa.RequireTwoFactorMiddleware); that query is counted here too.
TWO_FACTOR_CHECK = 1
SESSION = (0 if settings.REDIS_URL else 1) + TWO_FACTOR_CHECK
