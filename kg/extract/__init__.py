"""Stage 2, extract: an article's text becomes an :class:`kg.model.ArticleGraph`.

Input: :class:`kg.model.Article`; output: entities and the nine SPEC relations, each with
its evidence. ``nlp`` (spaCy + our rulers) → ``mentions`` → ``resolve`` → ``relations``;
``pipeline`` is the only module that chains them. The only stage that imports spaCy.
"""
