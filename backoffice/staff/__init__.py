"""Staff accounts: who may do what in the back office.

- ``admin``: the user and group admin as a Partnership admin sees it (no superusers, no
  single permissions, nobody changes their own roles);
- ``grants``: Publisher and Partnership admin roles take effect only when a second
  Partnership admin approves them (``RoleGrant``);
- ``two_factor``: enrolling a TOTP authenticator (``enrol_totp``, ``create_demo_staff``).

The roles themselves (group names, the content they govern) are ``backoffice.roles``.
"""
