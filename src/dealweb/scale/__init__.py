"""Networks past the AI web: a seeded synthetic generator (:mod:`dealweb.scale.synth`) and the
measures pipeline that ``dealweb load-network --measures`` runs (:mod:`dealweb.scale.pipeline`).

Edge lists are read into a :class:`~dealweb.network.Network` by :mod:`dealweb.network.load`;
the same measures on Apache Spark are :mod:`dealweb.spark`.
"""
