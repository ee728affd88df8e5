"""Who people are, and who may see it.

Writes: ``people`` (register and find by phone hash), ``reveals`` (four eyes, a reason, a
time limit), ``key_rotation``. Reads: ``place_index`` (the blind index of places). Who
may: ``visibility`` (which grievances, tracks and identities an actor sees).
"""
