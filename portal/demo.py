"""The whole demo, composed: the core (partnerships) seeds agencies, officers and cases, and each program app seeds
its own rows from its `demo.py`, so the core names no program. Running it twice changes nothing."""

from best import demo as best_demo
from cbcf import demo as cbcf_demo
from deconfliction import demo as deconfliction_demo
from ibet import demo as ibet_demo
from partnerships import demo as core_demo
from shiprider import demo as shiprider_demo

# In this order: the programs need the core's officers; BEST's investigation opens the first BEST case of the year
# before the core's demo cases take the next references; deconfliction works on the core's demo cases.
STEPS = (core_demo.load_people, shiprider_demo.load, ibet_demo.load, best_demo.load, cbcf_demo.load,
         core_demo.load_cases, deconfliction_demo.load)


def load():
    """Create whatever demo rows are missing and return how many agencies, officers and cases were created."""
    created = {"agencies": 0, "officers": 0, "cases": 0}
    for step in STEPS:
        for name, count in step().items():
            created[name] = created.get(name, 0) + count
    return created
