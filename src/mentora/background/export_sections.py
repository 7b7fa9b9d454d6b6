from mentora.core.export_registry import EXEMPT

EXEMPT["background.Job"] = ("long work a coordinator asked the worker for (a rollover, an import, a program "
                            "report): the program's records, with who asked for them")
