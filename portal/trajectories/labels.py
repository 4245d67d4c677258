"""Dutch labels of the area's codes (statuses, outcomes, reasons, skill groups)."""

from flask_babel import lazy_gettext as _l

from portal.trajectories import models as m


def skill_groups():
    return {"social": _l("Social skills"), "cognitive": _l("Cognitive skills"),
            "execution": _l("Carrying out the work"), "physical": _l("Physical skills"),
            "school": _l("School skills")}


def goal_statuses():
    return {m.GOAL_OPEN: _l("Open"), m.GOAL_REACHED: _l("Reached"), m.GOAL_STOPPED: _l("Stopped")}


def outcomes():
    return {m.REGULAR_JOB: _l("Regular job"), m.GARANTIEBAAN: _l("Garantiebaan (banenafspraak)"),
            m.EDUCATION: _l("Education"), m.TRANSFER: _l("Transfer to another programme"),
            m.STOPPED: _l("Stopped")}


def contract_kinds():
    return {"fixed_term": _l("Fixed term"), "permanent": _l("Permanent"),
            "on_call": _l("On call"), "temporary_agency": _l("Through an agency")}


def stop_reasons():
    return {"own_choice": _l("The candidate's own choice"), "moved": _l("Moved away"),
            "no_show": _l("Did not show up any more"),
            "other_programme_ended": _l("The programme ended"), "other": _l("Other reason")}


def not_placed_reasons():
    return {"employer_chose_other": _l("The employer chose someone else"),
            "skills_gap": _l("Skills not yet at the level asked"),
            "travel": _l("Travel did not work out"),
            "hours_did_not_fit": _l("The hours did not fit"),
            "candidate_declined": _l("The candidate declined"),
            "vacancy_withdrawn": _l("The vacancy was withdrawn")}


def placement_statuses():
    return {m.PROPOSED: _l("Proposed"), m.TRIAL: _l("Trial placement"), m.PLACED: _l("Placed"),
            m.NOT_PLACED: _l("Not placed")}


def vacancy_statuses():
    return {m.VACANCY_OPEN: _l("Open"), m.VACANCY_FILLED: _l("Filled"),
            m.VACANCY_CLOSED: _l("Closed")}


def follow_up_answers():
    return {m.SAME_EMPLOYER: _l("Still working there"),
            m.OTHER_EMPLOYER: _l("Working at another employer"),
            m.NOT_WORKING: _l("Not working")}


def trends():
    return {"up": _l("up"), "same": _l("same"), "down": _l("down")}


def trajectory_statuses():
    return {m.OPEN: _l("Running"), m.ENDED: _l("Ended")}


def score_label(value) -> str:
    return str(value) if value is not None else str(_l("not observed"))
