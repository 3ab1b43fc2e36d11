"""Dialogue policies that decide one next action by a rule on the tracker."""
