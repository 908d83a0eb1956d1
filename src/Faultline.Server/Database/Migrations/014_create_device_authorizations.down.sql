-- Pending device sign-ins are lost; clients start again.
DROP TABLE device_authorizations;
