"""The collaborative-planning (CPFR) engine: pure, frames in and frames out, no Django.

- ``calendar``: the Indonesian calendar (Ramadan, Lebaran, Christmas, New Year, school start) as weekly
  event flags, from the ``holidays`` package;
- ``forecast``: a statistical baseline per series with statsforecast, the model picked per series by
  rolling-origin validation, with prediction intervals;
- ``exceptions``: the agreed exception criteria, evaluated identically for both partners;
- ``proposals``: order proposals (replenishment to an order-up-to level, or min/max for VMI);
- ``simulate``: push orders against partnering (CPFR proposals) on the same demand history.
"""
