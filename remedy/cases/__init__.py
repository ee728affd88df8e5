"""A grievance's life after filing: triggers, tracks, check-ins, and what people are told.

Writes (use cases, each one unit of work): ``triggers.fire`` (the only state change),
``intake``, ``tracks``, ``check_ins`` and ``check_in_rounds``, ``deadlines``, ``referrals``
and the hand-offs that follow them (``handoffs``, ``referral_pack``, ``referral_reminders``),
``proceedings`` (parallel proceedings pause a track), ``state_actors``, ``notes``,
``replies``, ``notify`` (who hears what). Reads: ``status`` (plain words),
``timeline``, ``complainant_view``, ``steps``. Who may: ``policy`` (triggers and the work
on a track) and ``representation`` (the mandates in force).
"""
