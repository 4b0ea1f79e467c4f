import pytest
from django.urls import reverse

from tests.world import build_world


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "slug", "title"),
    [
        ("groups:detail", "derby", "Derby"),
        ("campaigns:detail", "council-of-sanctuary", "Council of Sanctuary"),
        ("events:detail", "peace-picnic", "Peace picnic"),
        ("events:festival", "peace-week", "Derby Peace Week"),
    ],
)
def test_shareable_pages_carry_open_graph_and_twitter_tags(client, settings, name, slug, title):
    settings.SITE_URL = "https://portal.example.org"
    build_world()
    path = reverse(name, kwargs={"slug": slug})
    html = client.get(path).content.decode()
    assert f'<meta property="og:title" content="{title}">' in html
    assert f'<meta property="og:url" content="https://portal.example.org{path}">' in html
    assert '<meta property="og:image" content="https://portal.example.org/static/img/' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<link rel="canonical" href="https://portal.example.org{path}">' in html
