from tests.people import login_as  # noqa: F401 (the app's tests import it from here)
