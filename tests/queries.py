"""What a signed-in request costs before the page's own queries, for query-count tests."""

from django.conf import settings

# The session is read from Redis when REDIS_URL is set (the cached_db session engine) and
# from the database on the embedded defaults: one query more there.
SESSION = 0 if settings.REDIS_URL else 1
