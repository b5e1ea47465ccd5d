"""Reading and writing the assessor's files: questionnaire, workspace, answers, result documents."""
