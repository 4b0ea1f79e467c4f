"""The curriculum's pages: modules, marking self-study done, and the learning-record
choice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from portal.permissions import verified_required

from . import learning
from .forms import LearningRecordForm
from .models import Completion, LearningRecordChoice, Module, Resource
from .views import MODULE_EVENTS_TEMPLATE, optional_template


def _done_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Completion.objects.filter(user=user).values_list("module_id", flat=True))


def curriculum(request):
    modules = Module.objects.filter(is_active=True)
    return render(
        request,
        "resources/curriculum.html",
        {"modules": modules, "done_ids": _done_ids(request.user)},
    )


def module_detail(request, slug):
    module = get_object_or_404(
        Module.objects.filter(is_active=True).prefetch_related(
            Prefetch("resources", queryset=Resource.objects.published())
        ),
        slug=slug,
    )
    choice = None
    if request.user.is_authenticated:
        choice = LearningRecordChoice.objects.filter(user=request.user).first()
    return render(
        request,
        "resources/module.html",
        {
            "module": module,
            "done": module.pk in _done_ids(request.user),
            "keeps_record": bool(choice and choice.keep_record),
            "events_template": optional_template(MODULE_EVENTS_TEMPLATE),
        },
    )


@verified_required
@require_POST
def module_done(request, slug):
    module = get_object_or_404(Module.objects.filter(is_active=True), slug=slug)
    choice = LearningRecordChoice.objects.filter(user=request.user).first()
    if not (choice and choice.keep_record) and module.self_study:
        # First things first: the person decides about keeping a record, then it is marked.
        return redirect(f"{reverse('resources:learning_record')}?module={module.slug}")
    try:
        learning.mark_done(user=request.user, module=module)
    except learning.LearningError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Well done: {module.title} is in your learning record.")
    return redirect(module)


@verified_required
@require_POST
def module_undo(request, slug):
    module = get_object_or_404(Module, slug=slug)
    if learning.mark_not_done(user=request.user, module=module):
        messages.success(request, f"{module.title} is no longer marked done.")
    return redirect(module)


@login_required
@require_http_methods(["GET", "POST"])
def learning_record(request):
    """Keep a learning record or not, and whether the region's team may see my name."""
    choice = LearningRecordChoice.objects.filter(user=request.user).first()
    initial = {"module": request.GET.get("module", "")}
    if choice and choice.keep_record is not None:
        initial.update(
            keep_record="yes" if choice.keep_record else "no",
            visible_to_region=choice.visible_to_region,
        )
    form = LearningRecordForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        learning.decide_learning_record(
            user=request.user,
            keep=data["keep_record"],
            visible_to_region=data["visible_to_region"],
        )
        module = Module.objects.filter(slug=data["module"], self_study=True).first()
        if data["keep_record"] and module is not None:
            learning.mark_done(user=request.user, module=module)
            messages.success(request, f"Your learning record is kept, with {module.title} done.")
            return redirect(module)
        if data["keep_record"]:
            messages.success(request, "Your learning record is kept. It shows on My portal.")
        else:
            messages.success(request, "Nothing about your learning is kept; any record is gone.")
        return redirect("resources:learning_record")
    completions = Completion.objects.filter(user=request.user).select_related("module")
    return render(
        request,
        "resources/learning_record.html",
        {"form": form, "choice": choice, "completions": completions},
    )
