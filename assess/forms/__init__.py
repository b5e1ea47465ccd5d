"""Answer forms for respondents who do not run the CLI (docs/forms.md).

``assess questionnaire export --format xlsx|csv`` writes a form; ``assess answers import`` reads a
filled one back into a respondent's answers file. The modules, in the order a form travels:

- ``layout``: the columns, sheets and fields every form has, and what each holds;
- ``formats``: the file formats (one enum, each mapped to the module that writes and reads it);
- ``xlsx``, ``csv``: the two formats, which only move cells in and out;
- ``cells``: a filled form as a reader found it, each cell with its place;
- ``interpret``: what the cells mean, checked against the questionnaire, every problem at once;
- ``merge``: the answers written into the respondent's answers file.
"""
