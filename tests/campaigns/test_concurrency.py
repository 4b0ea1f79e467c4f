"""Real concurrency on PostgreSQL: every thread has its own connection and transaction."""

import threading

import pytest
from django.db import connection

from campaigns import services
from campaigns.models import Action, ActionTaken, Campaign, CampaignSupporter
from tests.factories import UserFactory

from .factories import ActionFactory

THREADS = 12


def run_at_once(jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_signatures_by_different_people_count_exactly():
    action = ActionFactory(kind=Action.Kind.SIGN)
    users = [UserFactory() for _ in range(THREADS)]
    run_at_once(
        [
            lambda user=user: services.take_action(
                action=Action.objects.select_related("campaign").get(pk=action.pk), user=user
            )
            for user in users
        ]
    )
    action.refresh_from_db()
    assert action.count == THREADS
    assert ActionTaken.objects.filter(action=action).count() == THREADS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_signatures_by_the_same_person_count_once():
    action = ActionFactory(kind=Action.Kind.SIGN)
    user = UserFactory()
    results = []
    run_at_once(
        [
            lambda: results.append(
                services.take_action(
                    action=Action.objects.select_related("campaign").get(pk=action.pk), user=user
                )
            )
            for _ in range(THREADS)
        ]
    )
    action.refresh_from_db()
    assert action.count == 1
    assert sorted(results) == [False] * (THREADS - 1) + [True]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_support_by_the_same_person_counts_once():
    action = ActionFactory()
    campaign = action.campaign
    user = UserFactory()
    run_at_once(
        [
            lambda: services.support_campaign(
                campaign=Campaign.objects.get(pk=campaign.pk), user=user
            )
            for _ in range(THREADS)
        ]
    )
    campaign.refresh_from_db()
    assert campaign.supporter_count == 1
    assert CampaignSupporter.objects.filter(campaign=campaign).count() == 1
