"""The benchmark's baseline: the least a page can cost through our middleware stack."""

from django.shortcuts import render


def bare(request):
    """A one-line template, no queries of its own; bench/run.py compares every page to it."""
    return render(request, "bench/bare.html")
