"""Times are stored in UTC and shown in UK time. The zone is settings.TIME_ZONE (Europe/
London); code that works out wall-clock times (reminders at 18:00, digests at 07:00,
months for charts) takes it from here."""

from zoneinfo import ZoneInfo

from django.conf import settings

LONDON = ZoneInfo(settings.TIME_ZONE)
