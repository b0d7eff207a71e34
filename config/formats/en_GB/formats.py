"""British English as the site writes it: 24-hour times ("22:43"), as its own pages do
("j M Y, H:i"), where Django's en_GB default is "10:43 p.m.". The admin's lists and
read-only fields use these; everything not set here is Django's en_GB."""

TIME_FORMAT = "H:i"  # '22:43'
DATETIME_FORMAT = "j M Y, H:i"  # '25 Oct 2006, 22:43'
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # '25/10/2006 22:43'
