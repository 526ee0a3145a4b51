"""Digital Diplomacy Maturity Toolkit: assess, score and compare foreign ministries' digital diplomacy.

The library is a stack of layers; imports run one way, downward, and no two modules import each
other (`tests/test_layers.py` enforces both, reading each package's "May import" line):

    7  cli        the `ddmt` command line               6  bench      `ddmt bench`
    5  ui         the Streamlit pages (the only package that imports Streamlit)
    4  reports    workbooks and charts   io  questionnaire and imports   access  roles, accounts, workspace
    3  research   uncertainty, sensitivity, tidy data   store  the database, evidence files, backups
    2  engine     scoring, results, roadmap, comparison
    1  model      rubric and assessment documents, validation, the catalogue
    0  errors, issues, safe, settings (modules here), i18n

The public entry points for Python users: `toolkit.model.documents.load_assessment`,
`toolkit.model.catalogue.find_rubric`, `toolkit.engine.scoring.score`.
"""

__version__ = "0.1.0"
