-- over: keeps every event the rule can match
     coalesce(json_extract_scalar(responseelements, '$["ConsoleLogin"]') = 'Failure', FALSE)
  OR (coalesce(NOT starts_with(json_format(json_extract(responseelements, '$["ConsoleLogin"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(responseelements, '$')) IS NOT NULL, FALSE))
-- under: keeps only events the rule surely matches (printed under NOT)
  (coalesce(json_extract_scalar(responseelements, '$["ConsoleLogin"]') = 'Failure', FALSE) AND (NOT (coalesce(NOT starts_with(json_format(json_extract(responseelements, '$["ConsoleLogin"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(responseelements, '$')) IS NOT NULL, FALSE))))
