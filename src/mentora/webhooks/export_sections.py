from mentora.core.export_registry import EXEMPT

EXEMPT["webhooks.Subscription"] = ("a program's or institution's address for its events; only who created it "
                                   "points at a person")
