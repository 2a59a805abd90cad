/** When sources are backed up by themselves: schedules and the decision which runs are due. */
package org.selfstorage.agent.schedule;
