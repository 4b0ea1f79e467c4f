import pytest

from resources.printing import PrintingUnavailable, load_weasyprint
from tests.conftest import IN_CI
from tests.people import login_as  # noqa: F401 (the app's tests import it from here)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files and previews go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def weasyprint():
    """WeasyPrint with its system libraries (Pango). Skipped, and listed, where they are
    missing; in CI (.ci/run installs them) a missing one is a failure."""

    try:
        module = load_weasyprint()
    except PrintingUnavailable as exc:
        message = f"needs WeasyPrint and Pango (apt-get install libpango-1.0-0 ...): {exc}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return module
