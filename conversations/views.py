from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from portal.permissions import verified_required
from portal.ratelimit import ratelimit

from . import services
from .forms import FollowForm, PostForm, ReasonForm, SearchForm, ThreadForm
from .models import PLACE_FIELDS, Follow, Post, ReadMarker, Thread
from .permissions import (
    can_moderate,
    is_muted,
    place_for_reader,
    place_of,
    post_for_moderator,
    post_for_reader,
    readable_threads,
    thread_for_reader,
)
from .unread import places_with_unread, with_read_at

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 30
SEARCH_LIMIT = 50


@login_required
def index(request):
    """Every place whose conversations I may read, with its unread threads."""
    return render(
        request,
        "conversations/index.html",
        {"places": places_with_unread(request.user), "search_form": SearchForm()},
    )


@login_required
def place(request, kind, slug):
    place = place_for_reader(request.user, kind, slug)
    threads = with_read_at(
        Thread.objects.filter(**place.filter).select_related("author"), request.user
    )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    follow = Follow.objects.filter(user=request.user, **place.filter).first()
    return render(
        request,
        "conversations/place.html",
        {
            "place": place,
            "page": page,
            "form": ThreadForm(),
            "follow": follow,
            "muted": is_muted(request.user, place),
        },
    )


@verified_required
@require_http_methods(["GET", "POST"])
@ratelimit("conversation_posts")
def new_thread(request, kind, slug):
    place = place_for_reader(request.user, kind, slug)
    if kind == "resolution":
        messages.info(request, "A resolution has one discussion: reply in it.")
        return redirect("conversations:resolution", pk=place.obj.pk)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.start_thread(
                place=place, by=request.user, **{k: form.cleaned_data[k] for k in ("title", "body")}
            )
        except services.ConversationError as exc:
            messages.error(request, str(exc))
            return redirect("conversations:place", kind=kind, slug=slug)
        messages.success(
            request, "Posted. You follow this thread: replies reach you as you chose for the place."
        )
        return redirect(thread)
    return render(request, "conversations/new_thread.html", {"place": place, "form": form})


@login_required
def thread(request, pk):
    return _thread_page(request, thread_for_reader(request.user, pk))


@login_required
def resolution(request, pk):
    """A resolution's discussion: its one thread (opened when it was endorsed)."""
    place = place_for_reader(request.user, "resolution", str(pk))
    thread = get_object_or_404(Thread, resolution=place.obj)
    thread.resolution = place.obj  # with its meeting and region, fetched once
    return _thread_page(request, thread)


def _thread_page(request, thread: Thread, *, status: int = 200):
    place = place_of(thread)
    posts = thread.posts.select_related("author", "hidden_by")
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    marker = ReadMarker.objects.filter(user=request.user, thread=thread).first()
    services.mark_read(thread=thread, user=request.user)
    return render(
        request,
        "conversations/thread.html",
        {
            "thread": thread,
            "place": place,
            "page": page,
            "read_at": marker.read_at if marker else None,
            "form": PostForm(),
            "moderator": can_moderate(request.user, place),
            "follow": Follow.objects.filter(user=request.user, thread=thread).first(),
            # A resolution's one thread is its place: the choice (and delivery) is the place's.
            "place_follow": (
                Follow.objects.filter(user=request.user, **place.filter).first()
                if place.kind == "resolution"
                else None
            ),
            "muted": is_muted(request.user, place),
            "closed": place.obj.discussion_closed_because if place.kind == "resolution" else "",
        },
        status=status,
    )


@verified_required
@require_POST
@ratelimit("conversation_posts")
def reply(request, pk):
    thread = thread_for_reader(request.user, pk)
    form = PostForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write something to reply (at most 10,000 characters).")
        return redirect(thread)
    try:
        post = services.reply(thread=thread, by=request.user, body=form.cleaned_data["body"])
    except services.DiscussionClosed as exc:
        messages.error(request, str(exc))
        return _thread_page(request, thread, status=403)
    except services.ConversationError as exc:
        messages.error(request, str(exc))
        return redirect(thread)
    messages.success(request, "Replied.")
    last_page = Paginator(thread.posts.all(), POSTS_PER_PAGE).num_pages
    return redirect(f"{thread.get_absolute_url()}?page={last_page}#post-{post.pk}")


def _own_post(request, pk) -> Post:
    post = post_for_reader(request.user, pk)
    if post.author_id != request.user.pk:
        raise Http404
    return post


@verified_required
@require_http_methods(["GET", "POST"])
def edit_post(request, pk):
    post = _own_post(request, pk)
    form = PostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(post=post, by=request.user, body=form.cleaned_data["body"])
        except services.DiscussionClosed as exc:
            messages.error(request, str(exc))
            return _thread_page(request, post.thread, status=403)
        except services.ConversationError as exc:
            messages.error(request, str(exc))
            return redirect(post.thread)
        messages.success(request, "Changes saved.")
        return redirect(post.get_absolute_url())
    return render(request, "conversations/edit_post.html", {"post": post, "form": form})


@verified_required
@require_POST
def delete_post(request, pk):
    post = _own_post(request, pk)
    thread = post.thread
    gone = services.delete_post(post=post, by=request.user)
    messages.success(request, "Your post is deleted." + (" So is the thread." if gone else ""))
    if gone:
        place = place_of(thread)
        return redirect("conversations:place", kind=place.kind, slug=place.slug)
    return redirect(thread)


@verified_required
@require_http_methods(["GET", "POST"])
@ratelimit("conversation_reports")
def report_post(request, pk):
    post = post_for_reader(request.user, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.report_post(post=post, by=request.user, reason=form.cleaned_data["reason"]):
            messages.success(request, "Thank you: the moderators will look at it.")
        else:
            messages.info(request, "You have already reported this post.")
        return redirect(post.get_absolute_url())
    return render(
        request,
        "conversations/reason.html",
        {"post": post, "form": form, "action": "Report this post", "step": "report"},
    )


MODERATION_STEPS = {"hide": "Hide this post", "restore": "Restore this post", "mute": ""}


@verified_required
@require_http_methods(["GET", "POST"])
def moderate_post(request, pk, step):
    if step not in MODERATION_STEPS:
        raise Http404
    post = post_for_moderator(request.user, pk)
    place = place_of(post.thread)
    title = (
        MODERATION_STEPS[step]
        or f"Stop {post.author.public_name if post.author else 'them'} posting in {place.name}"
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if step == "hide":
            services.hide_post(post=post, by=request.user, reason=reason)
            messages.success(request, 'Hidden: people see "hidden by a moderator".')
        elif step == "restore":
            services.restore_post(post=post, by=request.user, reason=reason)
            messages.success(request, "Restored: everyone who can read the thread sees it again.")
        elif post.author is None:
            messages.error(request, "The author's account no longer exists.")
        else:
            services.mute_in_place(place=place, user=post.author, by=request.user, reason=reason)
            messages.success(request, f"{post.author.public_name} can no longer post here.")
        return redirect(post.get_absolute_url())
    return render(
        request,
        "conversations/reason.html",
        {"post": post, "form": form, "action": title, "step": step},
    )


@verified_required
@require_POST
def follow_thread(request, pk):
    thread = thread_for_reader(request.user, pk)
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose follow, mute or the default.")
        return redirect(thread)
    services.set_follow(user=request.user, thread=thread, mode=form.cleaned_data["mode"])
    messages.success(request, "Saved: " + _follow_message(form.cleaned_data["mode"]))
    return redirect(thread)


@verified_required
@require_POST
def follow_place(request, kind, slug):
    place = place_for_reader(request.user, kind, slug)
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose follow, mute or the default.")
        return redirect("conversations:place", kind=kind, slug=slug)
    services.set_follow(
        user=request.user,
        place=place,
        mode=form.cleaned_data["mode"],
        delivery=form.cleaned_data["delivery"] or Follow.Delivery.DIGEST,
    )
    messages.success(request, "Saved: " + _follow_message(form.cleaned_data["mode"]))
    return redirect("conversations:place", kind=kind, slug=slug)


def _follow_message(mode: str) -> str:
    if mode == Follow.Mode.FOLLOW:
        return "you will hear of new posts."
    if mode == Follow.Mode.MUTE:
        return "you will not hear of new posts."
    return "you hear of threads you wrote or replied in, and of the places you lead."


@login_required
def search(request):
    """Threads whose title or a visible post matches, among those the reader may read."""
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = SearchQuery(form.cleaned_data["q"], config="english", search_type="websearch")
        matching = (
            Post.objects.annotate(document=SearchVector("body", config="english"))
            .filter(document=query, hidden_at__isnull=True)
            .values("thread_id")
        )
        results = list(
            readable_threads(request.user)
            .annotate(title_document=SearchVector("title", config="english"))
            .filter(Q(title_document=query) | Q(pk__in=matching))
            .select_related(*PLACE_FIELDS)
            .order_by("-last_post_at", "-pk")[:SEARCH_LIMIT]
        )
    return render(request, "conversations/search.html", {"form": form, "results": results})
