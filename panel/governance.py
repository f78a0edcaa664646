"""The Panel at work: seats, members, Alternates, meetings, resolutions, the Standing Issues Group.

Models here are part of the panel app (imported at the end of panel/models.py).
"""
