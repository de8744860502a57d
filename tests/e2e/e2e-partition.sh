#!/bin/sh
# placeholder while the test is written
exit 77
