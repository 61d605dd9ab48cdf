def register_choose(request, edition):
    raise NotImplementedError


def register_form(request, edition, category):
    raise NotImplementedError


def registration_status(request, edition):
    raise NotImplementedError
