-- over: keeps every event the rule can match
     coalesce(regexp_matches(eventname, '(?s)^(Enable|Deactivate)MFA'), FALSE)
  OR (coalesce(regexp_matches(json_extract_string(requestparameters, '$."serialNumber"'), '(?is)MFA/[a-z]+$'), FALSE) OR (coalesce(json_type(requestparameters, '$."serialNumber"') <> 'VARCHAR', FALSE) OR coalesce(json_type(requestparameters, '$') = 'ARRAY', FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
  FALSE
